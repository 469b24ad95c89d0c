"""Personal data encrypted at rest with SM4 (issue 16 item 5): the columns become ciphertext,
blind indexes are added, and the existing rows are encrypted in batches (zhifa/common/dataencrypt.py)."""

import zhifa.common.fields
import zhifa.common.identifiers
from django.db import migrations

from zhifa.common.dataencrypt import decrypt_existing, encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='officer',
            name='id_number_bidx',
            field=zhifa.common.fields.BlindIndexField(kind='id_number', max_length=64, source='id_number', unique=True),
        ),
        migrations.AddField(
            model_name='officer',
            name='phone_bidx',
            field=zhifa.common.fields.BlindIndexField(db_index=True, kind='phone', max_length=64, source='phone'),
        ),
        migrations.AlterField(
            model_name='legaladviser',
            name='phone',
            field=zhifa.common.fields.EncryptedCharField(blank=True, max_length=30, validators=[zhifa.common.identifiers.validate_phone], verbose_name='联系电话'),
        ),
        migrations.AlterField(
            model_name='officer',
            name='id_number',
            field=zhifa.common.fields.EncryptedCharField(max_length=18, validators=[zhifa.common.identifiers.validate_id_number], verbose_name='身份证号'),
        ),
        migrations.AlterField(
            model_name='officer',
            name='phone',
            field=zhifa.common.fields.EncryptedCharField(blank=True, max_length=30, validators=[zhifa.common.identifiers.validate_phone], verbose_name='手机号'),
        ),
        migrations.RunPython(encrypt_existing('orgs', 'officer'), decrypt_existing('orgs', 'officer')),
        migrations.RunPython(encrypt_existing('orgs', 'legaladviser'), decrypt_existing('orgs', 'legaladviser')),
    ]
